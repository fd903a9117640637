<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class MessageController extends Controller
{
    private const MAX_LIMIT = 1000;

    public function store(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        if (! is_array($data)) {
            return response()->json(['error' => 'invalid input'], 400);
        }
        $content = $data['content'] ?? null;
        if (! is_string($content) || trim($content) === '') {
            return response()->json(['error' => 'content is required'], 400);
        }
        $username = is_string($data['username'] ?? null) && trim($data['username']) !== '' ? $data['username'] : 'anonymous';
        DB::insert('INSERT INTO messages (content, username) VALUES (?, ?)', [$content, $username]);
        return response()->json(['message' => 'posted'], 200);
    }

    /** A non-negative integer query parameter, $default when absent, null when invalid. */
    private function intParam(Request $request, string $name, int $default, int $max): ?int
    {
        $v = $request->query($name);
        if ($v === null || $v === '') {
            return $default;
        }
        if (! is_string($v) || ! ctype_digit($v) || strlen($v) > 10 || (int) $v > $max) {
            return null;
        }
        return (int) $v;
    }

    public function index(Request $request)
    {
        $limit = $this->intParam($request, 'limit', 10, self::MAX_LIMIT);
        if ($limit === null) {
            return response('limit must be an integer between 0 and 1000', 400, ['Content-Type' => 'text/plain; charset=utf-8']);
        }
        $offset = $this->intParam($request, 'offset', 0, PHP_INT_MAX >> 1);
        if ($offset === null) {
            return response('offset must be a non-negative integer', 400, ['Content-Type' => 'text/plain; charset=utf-8']);
        }
        $sort = $request->query('sort', 'DESC');
        $order = is_string($sort) ? strtoupper($sort) : '';
        if ($order === '') {
            $order = 'DESC';
        }
        if ($order !== 'ASC' && $order !== 'DESC') {
            return response('sort must be ASC or DESC', 400, ['Content-Type' => 'text/plain; charset=utf-8']);
        }
        // $order is one of two constants; limit and offset are bound parameters.
        $rows = DB::select('SELECT username, content, created_at FROM messages ORDER BY id '.$order.' LIMIT ? OFFSET ?', [$limit, $offset]);
        $e = fn ($s) => htmlspecialchars((string) $s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
        $html = "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>MyForum</title></head>\n<body>\n<h1>Messages</h1>\n<ul>\n";
        foreach ($rows as $r) {
            $html .= '<li><strong>'.$e($r->username).'</strong> <em>'.$e($r->created_at).'</em><p>'.$e($r->content)."</p></li>\n";
        }
        $html .= "</ul>\n</body>\n</html>\n";
        return response($html, 200, [
            'Content-Type' => 'text/html; charset=utf-8',
            'X-Content-Type-Options' => 'nosniff',
            'Content-Security-Policy' => "default-src 'none'",
        ]);
    }
}
