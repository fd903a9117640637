<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class ServiceController extends Controller
{
    private const MAX_FIELD = 1024;

    /**
     * What the database keeps instead of a token: a keyed hash, so tokens cannot be read back from the
     * database but can still be looked up.
     */
    private function tokenKey(string $token): string
    {
        $key = getenv('APP_SECRET');
        if ($key === false || $key === '') {
            $key = env('APP_KEY', 'uptime');
        }
        return hash_hmac('sha256', $token, $key);
    }

    private function invalid()
    {
        return response()->json(['error' => 'Invalid request payload'], 400);
    }

    public function heartbeat(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        $id = is_array($data) ? ($data['serviceId'] ?? null) : null;
        $token = is_array($data) ? ($data['token'] ?? null) : null;
        if (! is_string($id) || ! is_string($token) || $id === '' || $token === '' ||
            strlen($id) > self::MAX_FIELD || strlen($token) > self::MAX_FIELD) {
            return $this->invalid();
        }
        $now = gmdate('Y-m-d\TH:i:s\Z');
        DB::insert('INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?)
            ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification',
            [$id, $this->tokenKey($token), $now]);
        return response()->json(['message' => 'Heartbeat registered successfully'], 200);
    }

    public function services(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        $token = is_array($data) ? ($data['token'] ?? null) : null;
        if (! is_string($token)) {
            return $this->invalid();
        }
        $rows = DB::select('SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id',
            [$this->tokenKey($token)]);
        return response()->json(array_map(fn ($r) => [
            'serviceId' => $r->service_id,
            'lastNotification' => $r->last_notification,
        ], $rows), 200);
    }
}
