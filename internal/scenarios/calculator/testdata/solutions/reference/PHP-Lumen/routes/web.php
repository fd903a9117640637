<?php

/** @var \Laravel\Lumen\Routing\Router $router */

use Illuminate\Http\Request;

/**
 * Evaluates integer expressions with + - * /, unary minus and parentheses. Nothing from the request
 * is executed; every operation is checked for overflow and division by zero.
 */
final class Calc
{
    private int $pos = 0;

    public function __construct(private string $s)
    {
    }

    public static function evaluate(string $s): ?int
    {
        if ($s === '' || strlen($s) > 1000) {
            return null;
        }
        $p = new self($s);
        $v = $p->expr(0);
        if ($v === null || $p->peek() !== '') {
            return null;
        }
        return $v;
    }

    private function peek(): string
    {
        while ($this->pos < strlen($this->s) && ($this->s[$this->pos] === ' ' || $this->s[$this->pos] === "\t")) {
            $this->pos++;
        }
        return $this->pos < strlen($this->s) ? $this->s[$this->pos] : '';
    }

    private static function checked(int|float $v): ?int
    {
        return is_int($v) ? $v : null;
    }

    private function expr(int $depth): ?int
    {
        if ($depth > 100) {
            return null;
        }
        $v = $this->term($depth);
        while ($v !== null) {
            $c = $this->peek();
            if ($c !== '+' && $c !== '-') {
                break;
            }
            $this->pos++;
            $w = $this->term($depth);
            if ($w === null) {
                return null;
            }
            $v = self::checked($c === '+' ? $v + $w : $v - $w);
        }
        return $v;
    }

    private function term(int $depth): ?int
    {
        $v = $this->factor($depth);
        while ($v !== null) {
            $c = $this->peek();
            if ($c !== '*' && $c !== '/') {
                break;
            }
            $this->pos++;
            $w = $this->factor($depth);
            if ($w === null) {
                return null;
            }
            if ($c === '*') {
                $v = self::checked($v * $w);
            } else {
                if ($w === 0 || ($v === PHP_INT_MIN && $w === -1)) {
                    return null;
                }
                $v = intdiv($v, $w);
            }
        }
        return $v;
    }

    private function factor(int $depth): ?int
    {
        $c = $this->peek();
        if ($c === '-') {
            $this->pos++;
            $v = $this->factor($depth + 1);
            return ($v === null || $v === PHP_INT_MIN) ? null : -$v;
        }
        if ($c === '(') {
            $this->pos++;
            $v = $this->expr($depth + 1);
            if ($v === null || $this->peek() !== ')') {
                return null;
            }
            $this->pos++;
            return $v;
        }
        if ($c !== '' && ctype_digit($c)) {
            $start = $this->pos;
            while ($this->pos < strlen($this->s) && ctype_digit($this->s[$this->pos])) {
                $this->pos++;
            }
            $digits = ltrim(substr($this->s, $start, $this->pos - $start), '0');
            if ($digits === '') {
                return 0;
            }
            $v = filter_var($digits, FILTER_VALIDATE_INT);
            return $v === false ? null : $v;
        }
        return null;
    }
}

$router->post('/calculator', function (Request $request) {
    $data = json_decode($request->getContent(), true);
    if (! is_array($data) || ! is_string($data['expression'] ?? null)) {
        return response()->json(['error' => 'invalid input'], 400);
    }
    $v = Calc::evaluate($data['expression']);
    if ($v === null) {
        return response()->json(['error' => 'invalid expression'], 400);
    }
    return response()->json(['result' => (string) $v], 200);
});
