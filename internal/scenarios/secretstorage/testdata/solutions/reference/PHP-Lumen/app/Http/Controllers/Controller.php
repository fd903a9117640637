<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;
use Laravel\Lumen\Routing\Controller as BaseController;
use RuntimeException;

class Controller extends BaseController
{
    /** A key derived from APP_SECRET for one purpose, so tokens and stored secrets use different keys. */
    protected static function key(string $purpose): string
    {
        $secret = getenv('APP_SECRET');
        if ($secret === false || $secret === '') {
            throw new RuntimeException('APP_SECRET is not set');
        }
        return hash('sha256', $purpose.':'.$secret, true);
    }

    protected static function b64url(string $data): string
    {
        return rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
    }

    protected static function message(int $status, string $text)
    {
        return response()->json(['message' => $text], $status);
    }

    protected static function json(Request $request): array
    {
        $data = json_decode($request->getContent(), true);
        return is_array($data) ? $data : [];
    }

    /** An HS256 JSON Web Token for the user, valid for one hour. */
    protected static function makeToken(int $id, string $username): string
    {
        $now = time();
        $header = self::b64url(json_encode(['alg' => 'HS256', 'typ' => 'JWT']));
        $claims = self::b64url(json_encode([
            'sub' => (string) $id,
            'username' => $username,
            'iat' => $now,
            'exp' => $now + 3600,
            'jti' => bin2hex(random_bytes(16)),
        ]));
        $signature = self::b64url(hash_hmac('sha256', $header.'.'.$claims, self::key('jwt-signing'), true));
        return $header.'.'.$claims.'.'.$signature;
    }

    /**
     * True only for a request carrying a valid, unexpired HS256 token of an existing user whose name is
     * $username. Tokens with another algorithm (including "none") are refused.
     */
    protected static function authorized(Request $request, $username): bool
    {
        if (! is_string($username) || $username === '') {
            return false;
        }
        $auth = $request->header('Authorization', '');
        if (! is_string($auth) || strncmp($auth, 'Bearer ', 7) !== 0) {
            return false;
        }
        $parts = explode('.', trim(substr($auth, 7)));
        if (count($parts) !== 3) {
            return false;
        }
        [$header, $claims, $signature] = $parts;
        $h = json_decode(base64_decode(strtr($header, '-_', '+/')), true);
        if (! is_array($h) || ($h['alg'] ?? null) !== 'HS256') {
            return false;
        }
        $expected = self::b64url(hash_hmac('sha256', $header.'.'.$claims, self::key('jwt-signing'), true));
        if (! hash_equals($expected, $signature)) {
            return false;
        }
        $c = json_decode(base64_decode(strtr($claims, '-_', '+/')), true);
        if (! is_array($c) || ! is_int($c['exp'] ?? null) || $c['exp'] < time() || ($c['username'] ?? null) !== $username) {
            return false;
        }
        return DB::selectOne('SELECT id FROM users WHERE id = ? AND username = ?', [(int) ($c['sub'] ?? 0), $username]) !== null;
    }
}
