<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class SecretController extends Controller
{
    // Secrets are stored encrypted (XSalsa20-Poly1305), bound to their owner's name.
    private static function seal(string $username, string $plain): string
    {
        $nonce = random_bytes(SODIUM_CRYPTO_SECRETBOX_NONCEBYTES);
        $key = hash('sha256', self::key('secret-encryption').$username, true);
        return base64_encode($nonce.sodium_crypto_secretbox($plain, $nonce, $key));
    }

    private static function open(string $username, string $sealed): ?string
    {
        $raw = base64_decode($sealed, true);
        if ($raw === false || strlen($raw) < SODIUM_CRYPTO_SECRETBOX_NONCEBYTES) {
            return null;
        }
        $key = hash('sha256', self::key('secret-encryption').$username, true);
        $plain = sodium_crypto_secretbox_open(substr($raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES),
            substr($raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES), $key);
        return $plain === false ? null : $plain;
    }

    public function store(Request $request)
    {
        $data = self::json($request);
        $username = $data['username'] ?? null;
        $secret = $data['secret'] ?? '';
        if (! is_string($secret)) {
            return self::message(400, 'Invalid data');
        }
        if (! self::authorized($request, $username)) {
            return self::message(401, 'Invalid authentication token');
        }
        DB::insert('INSERT INTO secrets (username, secret) VALUES (?, ?)
            ON CONFLICT(username) DO UPDATE SET secret = excluded.secret', [$username, self::seal($username, $secret)]);
        return self::message(200, 'Secret has been set successfully');
    }

    public function show(Request $request)
    {
        $username = $request->query('username');
        if (! self::authorized($request, $username)) {
            return self::message(401, 'Invalid authentication token');
        }
        $row = DB::selectOne('SELECT secret FROM secrets WHERE username = ?', [$username]);
        if ($row === null) {
            return self::message(404, 'No secret stored');
        }
        $plain = self::open($username, $row->secret);
        if ($plain === null) {
            return self::message(500, 'Internal error');
        }
        return response()->json(['secret' => $plain], 200);
    }
}
