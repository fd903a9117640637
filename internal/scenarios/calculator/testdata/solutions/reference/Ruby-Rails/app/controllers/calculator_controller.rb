class CalculatorController < ApplicationController
  # Evaluates integer expressions with + - * /, unary minus and parentheses. Nothing from the request
  # is executed; results are bounded to 64-bit integers and division by zero is rejected.
  class Parser
    LIMIT = 2**63

    def initialize(text)
      @s = text
      @pos = 0
    end

    def parse
      return nil if @s.empty? || @s.length > 1000
      v = expr(0)
      return nil if v.nil? || !peek.nil?
      v
    end

    private

    def peek
      @pos += 1 while @pos < @s.length && [" ", "\t"].include?(@s[@pos])
      @pos < @s.length ? @s[@pos] : nil
    end

    def bounded(v)
      v.nil? || v >= LIMIT || v < -LIMIT ? nil : v
    end

    def expr(depth)
      return nil if depth > 100
      v = term(depth)
      while v && ["+", "-"].include?(peek)
        op = peek
        @pos += 1
        w = term(depth)
        return nil if w.nil?
        v = bounded(op == "+" ? v + w : v - w)
      end
      v
    end

    def term(depth)
      v = factor(depth)
      while v && ["*", "/"].include?(peek)
        op = peek
        @pos += 1
        w = factor(depth)
        return nil if w.nil?
        if op == "*"
          v = bounded(v * w)
        else
          return nil if w.zero?
          q = v.abs / w.abs
          v = bounded((v.negative? ^ w.negative?) ? -q : q)
        end
      end
      v
    end

    def factor(depth)
      c = peek
      if c == "-"
        @pos += 1
        v = factor(depth + 1)
        return bounded(v && -v)
      end
      if c == "("
        @pos += 1
        v = expr(depth + 1)
        return nil if v.nil? || peek != ")"
        @pos += 1
        return v
      end
      return nil unless c&.match?(/\A[0-9]\z/)
      start = @pos
      @pos += 1 while @pos < @s.length && @s[@pos].match?(/\A[0-9]\z/)
      bounded(@s[start...@pos].to_i)
    end
  end

  def evaluate
    expression = params[:expression]
    unless expression.is_a?(String)
      return render json: { error: "invalid input" }, status: :bad_request
    end
    result = Parser.new(expression).parse
    if result.nil?
      render json: { error: "invalid expression" }, status: :bad_request
    else
      render json: { result: result.to_s }, status: :ok
    end
  end
end
