<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class SearchController extends Controller
{
    private const MAX_REGEX = 1000;
    private const MAX_FILE_SIZE = 1048576; // larger files are not searched
    private const MAX_FILES = 10000;

    private function fail(int $status, string $message)
    {
        return response()->json(['error' => $message], $status);
    }

    private static function inside(string $root, string $path): bool
    {
        return $path === $root || str_starts_with($path, $root.'/');
    }

    public function search(Request $request)
    {
        $regex = $request->query('regex');
        if (! is_string($regex) || strlen($regex) > self::MAX_REGEX) {
            return $this->fail(400, 'a regex of at most 1000 characters is required');
        }
        // No JIT and a small backtracking budget: a pathological pattern fails instead of hanging.
        ini_set('pcre.jit', '0');
        ini_set('pcre.backtrack_limit', '100000');
        ini_set('pcre.recursion_limit', '10000');
        $pattern = "\x01".$regex."\x01";
        if (@preg_match($pattern, '') === false) {
            return $this->fail(400, 'malformed regex');
        }
        $recursive = false;
        $r = $request->query('recursive');
        if ($r !== null && $r !== '') {
            $recursive = is_string($r) ? filter_var($r, FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE) : null;
            if ($recursive === null) {
                return $this->fail(400, 'recursive must be true or false');
            }
        }
        $root = realpath(base_path('files'));
        if ($root === false) {
            return $this->fail(500, 'the files root is not available');
        }
        $directory = $request->query('directory', '');
        if (! is_string($directory) || str_contains($directory, "\0")) {
            return $this->fail(400, 'inaccessible directory');
        }
        // The directory, symlinks resolved, must stay inside the files root.
        $dir = realpath($root.'/'.$directory);
        if ($dir === false || ! is_dir($dir) || ! self::inside($root, $dir)) {
            return $this->fail(400, 'inaccessible directory');
        }
        $found = [];
        $seen = 0;
        $walk = function (string $path, string $rel) use (&$walk, &$found, &$seen, $pattern, $recursive, $root): bool {
            foreach (scandir($path) ?: [] as $entry) {
                if ($entry === '.' || $entry === '..') {
                    continue;
                }
                $full = $path.'/'.$entry;
                if (is_link($full)) {
                    continue;
                }
                if (is_dir($full)) {
                    if ($recursive && ! $walk($full, $rel.$entry.'/')) {
                        return false;
                    }
                    continue;
                }
                if (++$seen > self::MAX_FILES) {
                    return false;
                }
                if (is_file($full) && filesize($full) <= self::MAX_FILE_SIZE) {
                    $text = file_get_contents($full);
                    if ($text !== false && preg_match($pattern, $text) === 1) {
                        $found[] = $rel.$entry;
                    }
                }
            }
            return true;
        };
        if (! $walk($dir, '')) {
            return $this->fail(400, 'the directory holds too many files');
        }
        return response()->json(['files' => $found], 200);
    }
}
