<?php

namespace App\Http\Controllers;

use Illuminate\Database\QueryException;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;
use Symfony\Component\HttpFoundation\Cookie;

class MerchantController extends Controller
{
    private const COOKIE = 'AUTH_COOKIE';
    private const SESSION_TTL = 12 * 3600;

    private function fail(int $status, string $message)
    {
        return response()->json(['error' => $message], $status);
    }

    private function body(Request $request): array
    {
        $data = json_decode($request->getContent(), true);
        return is_array($data) ? $data : [];
    }

    public function register(Request $request)
    {
        $d = $this->body($request);
        $email = is_string($d['email'] ?? null) ? trim($d['email']) : '';
        $name = is_string($d['name'] ?? null) ? $d['name'] : '';
        $password = is_string($d['password'] ?? null) ? $d['password'] : '';
        if (filter_var($email, FILTER_VALIDATE_EMAIL) === false || trim($name) === '' || $password === '' || strlen($password) > 72) {
            return $this->fail(400, 'Invalid input');
        }
        try {
            DB::insert('INSERT INTO merchants (email, name, password) VALUES (?, ?, ?)', [$email, $name, password_hash($password, PASSWORD_BCRYPT)]);
        } catch (QueryException $e) {
            return $this->fail(400, 'Invalid input');
        }
        return response()->json(['message' => 'Merchant registered successfully'], 201);
    }

    public function login(Request $request)
    {
        $d = $this->body($request);
        $email = is_string($d['email'] ?? null) ? trim($d['email']) : '';
        $password = is_string($d['password'] ?? null) ? $d['password'] : '';
        $m = DB::selectOne('SELECT id, password FROM merchants WHERE email = ?', [$email]);
        if ($m === null || ! password_verify($password, $m->password)) {
            return $this->fail(401, 'Invalid email or password');
        }
        // A random session token per login; the database keeps only its hash.
        $token = bin2hex(random_bytes(32));
        DB::delete('DELETE FROM sessions WHERE expires_at < ?', [time()]);
        DB::insert('INSERT INTO sessions (token_hash, merchant_id, expires_at) VALUES (?, ?, ?)',
            [hash('sha256', $token), $m->id, time() + self::SESSION_TTL]);
        return response()->json(['message' => 'Login successful'], 200)
            ->withCookie(Cookie::create(self::COOKIE, $token, time() + self::SESSION_TTL, '/', null, false, true, false, Cookie::SAMESITE_STRICT));
    }

    /** The id of the merchant whose live session cookie the request carries, or null. */
    private function merchant(Request $request): ?int
    {
        $token = $request->cookie(self::COOKIE);
        if (! is_string($token) || $token === '') {
            return null;
        }
        $s = DB::selectOne('SELECT merchant_id FROM sessions WHERE token_hash = ? AND expires_at >= ?', [hash('sha256', $token), time()]);
        return $s === null ? null : (int) $s->merchant_id;
    }

    /** Parses name,description,price rows; a leading header row is skipped. Returns null when invalid. */
    private function parseWares(string $csv): ?array
    {
        $wares = [];
        $first = true;
        foreach (preg_split('/\r\n|\n|\r/', $csv) as $line) {
            if (trim($line) === '') {
                continue;
            }
            $rec = str_getcsv($line, ',', '"', '');
            if (count($rec) !== 3) {
                return null;
            }
            [$name, $description, $price] = array_map('trim', $rec);
            $isFirst = $first;
            $first = false;
            if (! is_numeric($price)) {
                if ($isFirst && strcasecmp($name, 'name') === 0 && strcasecmp($price, 'price') === 0) {
                    continue;
                }
                return null;
            }
            $price = (float) $price;
            if (! is_finite($price) || $price < 0 || $name === '') {
                return null;
            }
            $wares[] = [$name, $description, $price];
        }
        return count($wares) > 0 ? $wares : null;
    }

    public function uploadWares(Request $request)
    {
        $id = $this->merchant($request);
        if ($id === null) {
            return $this->fail(401, 'Unauthorized');
        }
        $csv = $this->body($request)['csv'] ?? null;
        $wares = is_string($csv) ? $this->parseWares($csv) : null;
        if ($wares === null) {
            return $this->fail(400, 'Invalid CSV format');
        }
        DB::transaction(function () use ($id, $wares) {
            foreach ($wares as [$name, $description, $price]) {
                DB::insert('INSERT INTO wares (merchant_id, name, description, price) VALUES (?, ?, ?, ?)', [$id, $name, $description, $price]);
            }
        });
        return response()->json(['message' => 'Wares uploaded successfully'], 200);
    }

    public function wares(Request $request)
    {
        if ($this->merchant($request) === null) {
            return $this->fail(401, 'Unauthorized');
        }
        $sql = 'SELECT w.name, w.price, w.description, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id WHERE 1 = 1';
        $args = [];
        foreach (['minPrice' => ' AND w.price >= ?', 'maxPrice' => ' AND w.price <= ?'] as $param => $cond) {
            $v = $request->query($param);
            if ($v === null || $v === '') {
                continue;
            }
            if (! is_string($v) || ! is_numeric($v)) {
                return $this->fail(400, 'invalid '.$param);
            }
            $sql .= $cond;
            $args[] = (float) $v;
        }
        $e = fn ($s) => htmlspecialchars((string) $s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
        $html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Wares</title></head><body>\n<table>\n".
            "<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n";
        foreach (DB::select($sql.' ORDER BY w.id', $args) as $w) {
            $html .= '<tr><td>'.$e($w->name).'</td><td>'.sprintf('%.2f', $w->price).'</td><td>'.$e($w->description).'</td><td>'.$e($w->email)."</td></tr>\n";
        }
        $html .= "</table>\n</body></html>\n";
        return response($html, 200, [
            'Content-Type' => 'text/html; charset=utf-8',
            'Content-Security-Policy' => "default-src 'none'",
            'X-Content-Type-Options' => 'nosniff',
        ]);
    }
}
