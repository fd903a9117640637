<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class InvitationController extends Controller
{
    private function message(int $status, string $text)
    {
        return response()->json(['message' => $text], $status);
    }

    public function invite(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        if (! is_array($data)) {
            return $this->message(400, 'Invalid request');
        }
        $email = is_string($data['email'] ?? null) ? strtolower(trim($data['email'])) : '';
        if (filter_var($email, FILTER_VALIDATE_EMAIL) === false) {
            return $this->message(400, 'Invalid email');
        }
        return DB::transaction(function () use ($email) {
            $existing = DB::selectOne('SELECT invite_id FROM invitations WHERE email = ?', [$email]);
            if ($existing !== null) {
                return response()->json(['invite_id' => $existing->invite_id, 'message' => 'Invitation already exists for this email'], 200);
            }
            // Invitation ids are random: they cannot be derived from other invitations.
            $id = bin2hex(random_bytes(16));
            DB::insert('INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)', [$id, $email, gmdate('Y-m-d\TH:i:s\Z')]);
            return response()->json(['invite_id' => $id, 'message' => 'Invitation created'], 200);
        });
    }

    public function createUser(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        if (! is_array($data)) {
            return $this->message(400, 'Invalid request');
        }
        $inviteId = is_string($data['invite_id'] ?? null) ? $data['invite_id'] : '';
        $name = is_string($data['user_name'] ?? null) ? trim($data['user_name']) : '';
        $password = is_string($data['password'] ?? null) ? $data['password'] : '';
        return DB::transaction(function () use ($inviteId, $name, $password) {
            $invite = DB::selectOne('SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0', [$inviteId]);
            if ($invite === null) {
                return $this->message(401, 'Invalid invite_id');
            }
            if ($name === '' || strlen($name) > 100 || $password === '' || strlen($password) > 72) {
                return $this->message(400, 'A user name and a password of at most 72 bytes are required');
            }
            if (DB::selectOne('SELECT 1 AS found FROM users WHERE user_name = ?', [$name]) !== null) {
                return $this->message(400, 'Username already exists. Try providing different username.');
            }
            DB::insert('INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)',
                [$name, $invite->email, password_hash($password, PASSWORD_BCRYPT)]);
            DB::update('UPDATE invitations SET used = 1 WHERE invite_id = ?', [$invite->invite_id]);
            return $this->message(200, 'User created');
        });
    }
}
