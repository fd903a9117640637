<?php

namespace App\Http\Controllers;

use Illuminate\Database\QueryException;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class AuthController extends Controller
{
    public function register(Request $request)
    {
        $data = self::json($request);
        $email = is_string($data['email'] ?? null) ? trim($data['email']) : '';
        $username = is_string($data['username'] ?? null) ? trim($data['username']) : '';
        $password = is_string($data['password'] ?? null) ? $data['password'] : '';
        if (filter_var($email, FILTER_VALIDATE_EMAIL) === false || $username === '' || strlen($username) > 64 ||
            $password === '' || strlen($password) > 72) {
            return self::message(400, 'Email already in use or invalid data');
        }
        try {
            DB::insert('INSERT INTO users (email, username, password) VALUES (?, ?, ?)',
                [$email, $username, password_hash($password, PASSWORD_BCRYPT)]);
        } catch (QueryException $e) {
            return self::message(400, 'Email already in use or invalid data');
        }
        return self::message(201, 'Registration successful');
    }

    public function login(Request $request)
    {
        $data = self::json($request);
        if (! is_string($data['email'] ?? null) || ! is_string($data['password'] ?? null)) {
            return self::message(401, 'Invalid email or password');
        }
        $user = DB::selectOne('SELECT id, username, password FROM users WHERE email = ?', [trim($data['email'])]);
        if ($user === null || ! password_verify($data['password'], $user->password)) {
            return self::message(401, 'Invalid email or password');
        }
        return response()->json(['token' => self::makeToken((int) $user->id, $user->username), 'message' => 'Login successful'], 200);
    }
}
