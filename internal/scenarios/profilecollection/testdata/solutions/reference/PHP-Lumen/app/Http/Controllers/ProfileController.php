<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class ProfileController extends Controller
{
    private const MAX_PAGE = 1048576;
    private const MAX_PHOTO = 6291456;

    private function text(int $status, string $message)
    {
        return response($message."\n", $status, ['Content-Type' => 'text/plain; charset=utf-8']);
    }

    /** One form field, or the content of a file part, whichever the client sent; false when too large. */
    private function field(Request $request, string $name, int $limit)
    {
        $file = $request->file($name);
        if ($file !== null && ! is_array($file)) {
            if (! $file->isValid() || $file->getSize() > $limit) {
                return false;
            }
            return (string) file_get_contents($file->getRealPath());
        }
        $value = $request->input($name);
        if (! is_string($value)) {
            return '';
        }
        return strlen($value) > $limit ? false : $value;
    }

    public function store(Request $request)
    {
        $username = $request->input('username');
        $page = $this->field($request, 'profile_page', self::MAX_PAGE);
        $photo = $this->field($request, 'profile_photo', self::MAX_PHOTO);
        if ($page === false || $photo === false) {
            return $this->text(413, 'Profile page or photo too large');
        }
        if (! is_string($username) || ! preg_match('/^[A-Za-z0-9_.-]{1,64}$/', $username) || $page === '' ||
            ! str_starts_with($photo, "\x89PNG\r\n\x1a\n")) {
            return $this->text(400, 'Invalid input');
        }
        if (DB::selectOne('SELECT username FROM profiles WHERE username = ?', [$username]) !== null) {
            return $this->text(403, 'Profile already exists, creation forbidden');
        }
        $stmt = DB::getPdo()->prepare('INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)');
        $stmt->bindValue(1, $username);
        $stmt->bindValue(2, $page);
        $stmt->bindValue(3, $photo, \PDO::PARAM_LOB);
        if (! $stmt->execute()) {
            return $this->text(403, 'Profile already exists, creation forbidden');
        }
        return $this->text(201, 'Profile created successfully');
    }

    public function page(string $username)
    {
        $row = DB::selectOne('SELECT page FROM profiles WHERE username = ?', [$username]);
        if ($row === null) {
            return $this->text(404, 'Profile not found');
        }
        // User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
        return response('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre>'.
            htmlspecialchars($row->page, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8').'</pre></body></html>', 200, [
            'Content-Type' => 'text/html; charset=utf-8',
            'Content-Security-Policy' => "default-src 'none'; style-src 'unsafe-inline'",
            'X-Content-Type-Options' => 'nosniff',
        ]);
    }

    public function photo(string $username)
    {
        $row = DB::selectOne('SELECT photo FROM profiles WHERE username = ?', [$username]);
        if ($row === null || $row->photo === null || $row->photo === '') {
            return $this->text(404, 'Profile photo not found');
        }
        return response($row->photo, 200, ['Content-Type' => 'image/png', 'X-Content-Type-Options' => 'nosniff']);
    }
}
