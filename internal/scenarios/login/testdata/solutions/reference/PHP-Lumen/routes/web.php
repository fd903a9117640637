<?php

/** @var \Laravel\Lumen\Routing\Router $router */

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

function b64url(string $data): string
{
    return rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
}

// HS256 JSON Web Token signed with APP_SECRET.
function make_token(int $userId): string
{
    $secret = getenv('APP_SECRET');
    if ($secret === false || $secret === '') {
        throw new RuntimeException('APP_SECRET is not set');
    }
    $now = time();
    $header = b64url(json_encode(['alg' => 'HS256', 'typ' => 'JWT']));
    $claims = b64url(json_encode([
        'sub' => (string) $userId,
        'iat' => $now,
        'exp' => $now + 3600,
        'jti' => bin2hex(random_bytes(16)),
    ]));
    $signature = b64url(hash_hmac('sha256', $header.'.'.$claims, $secret, true));
    return $header.'.'.$claims.'.'.$signature;
}

$router->post('/register', function (Request $request) {
    $invalid = response()->json(['message' => 'Email already in use or invalid data'], 400);
    $data = json_decode($request->getContent(), true);
    if (! is_array($data)) {
        return $invalid;
    }
    $email = is_string($data['email'] ?? null) ? trim($data['email']) : '';
    $password = is_string($data['password'] ?? null) ? $data['password'] : '';
    $name = is_string($data['name'] ?? null) ? $data['name'] : '';
    if (filter_var($email, FILTER_VALIDATE_EMAIL) === false || $password === '' || strlen($password) > 72) {
        return $invalid;
    }
    try {
        DB::insert('INSERT INTO users (email, password, name) VALUES (?, ?, ?)',
            [$email, password_hash($password, PASSWORD_BCRYPT), $name]);
    } catch (\Illuminate\Database\QueryException $e) {
        return $invalid;
    }
    return response()->json(['message' => 'Registration successful'], 201);
});

$router->post('/login', function (Request $request) {
    $denied = response()->json(['message' => 'Invalid email or password'], 401);
    $data = json_decode($request->getContent(), true);
    if (! is_array($data) || ! is_string($data['email'] ?? null) || ! is_string($data['password'] ?? null)) {
        return $denied;
    }
    $user = DB::selectOne('SELECT id, password FROM users WHERE email = ?', [trim($data['email'])]);
    if ($user === null || ! password_verify($data['password'], $user->password)) {
        return $denied;
    }
    return response()->json(['token' => make_token((int) $user->id), 'message' => 'Login successful'], 200);
});
