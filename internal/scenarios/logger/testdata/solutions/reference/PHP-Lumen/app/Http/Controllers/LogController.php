<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class LogController extends Controller
{
    private function file(): string
    {
        return base_path('logs.txt');
    }

    /**
     * Keeps a message on one line: backslashes and every character a reader may treat as a line break
     * are written as escape sequences.
     */
    private function neutralize(string $message): string
    {
        return strtr($message, [
            '\\' => '\\\\',
            "\r" => '\\r',
            "\n" => '\\n',
            "\v" => '\\v',
            "\f" => '\\f',
            "\x1c" => '\\x1c',
            "\x1d" => '\\x1d',
            "\x1e" => '\\x1e',
            "\u{0085}" => '\\u0085',
            "\u{2028}" => '\\u2028',
            "\u{2029}" => '\\u2029',
        ]);
    }

    public function store(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        if (! is_array($data) || ! is_string($data['message'] ?? null)) {
            return response('a JSON body with a "message" string is required', 400, ['Content-Type' => 'text/plain; charset=utf-8']);
        }
        if (file_put_contents($this->file(), $this->neutralize($data['message'])."\n", FILE_APPEND | LOCK_EX) === false) {
            return response('could not store the message', 500, ['Content-Type' => 'text/plain; charset=utf-8']);
        }
        return response()->json(['status' => 'logged'], 200);
    }

    public function index()
    {
        $text = is_file($this->file()) ? file_get_contents($this->file()) : '';
        return response($text === false ? '' : $text, 200, [
            'Content-Type' => 'text/plain; charset=utf-8',
            'X-Content-Type-Options' => 'nosniff',
        ]);
    }
}
