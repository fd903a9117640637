class Edit < ApplicationRecord
  belongs_to :entry
  validates :modified_by, presence: true

  # The change as a line diff (longest common subsequence): [op, line] pairs, op one of " ", "+", "-".
  def diff
    a = old_content.empty? ? [] : old_content.split("\n", -1)
    b = new_content.empty? ? [] : new_content.split("\n", -1)
    lcs = Array.new(a.size + 1) { Array.new(b.size + 1, 0) }
    (a.size - 1).downto(0) do |i|
      (b.size - 1).downto(0) do |j|
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : [lcs[i + 1][j], lcs[i][j + 1]].max
      end
    end
    out = []
    i = j = 0
    while i < a.size || j < b.size
      if i < a.size && j < b.size && a[i] == b[j]
        out << [" ", a[i]]
        i += 1
        j += 1
      elsif j < b.size && (i == a.size || lcs[i][j + 1] >= lcs[i + 1][j])
        out << ["+", b[j]]
        j += 1
      else
        out << ["-", a[i]]
        i += 1
      end
    end
    out
  end
end
