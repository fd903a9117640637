<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class FileSearchController extends Controller
{
    private const DATA_DIR = '/data';
    private const MAX_READ = 10485760; // bytes of a file searched for content
    private const MAX_FILES = 10000;

    private function fail(string $message)
    {
        return response()->json(['error' => $message], 400);
    }

    public function search(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        if (! is_array($data)) {
            return $this->fail('invalid JSON body');
        }
        $content = $data['search_content'] ?? null;
        $name = $data['search_filename'] ?? null;
        $dir = $data['search_dir'] ?? null;
        foreach ([$content, $name, $dir] as $v) {
            if ($v !== null && ! is_string($v)) {
                return $this->fail('the search fields must be strings');
            }
        }
        $content = (string) $content;
        $name = (string) $name;
        if ($content === '' && $name === '') {
            return $this->fail('search_content or search_filename is required');
        }
        $dir = (string) $dir;
        // search_dir is relative to /data even with a leading slash; ".." is refused and the resolved
        // directory (symlinks followed) must stay inside /data.
        if (str_contains($dir, "\0") || in_array('..', preg_split('#[/\\\\]+#', $dir), true)) {
            return $this->fail('search_dir must stay inside the data directory');
        }
        $found = [];
        $base = realpath(self::DATA_DIR);
        $root = $base === false ? false : realpath($base.'/'.ltrim($dir, '/'));
        if ($root !== false) {
            if ($root !== $base && ! str_starts_with($root, $base.'/')) {
                return $this->fail('search_dir must stay inside the data directory');
            }
            $start = rtrim(self::DATA_DIR.'/'.trim($dir, '/'), '/');
            $walk = function (string $path) use (&$walk, &$found, $content, $name) {
                foreach (scandir($path) ?: [] as $entry) {
                    if ($entry === '.' || $entry === '..' || count($found) >= self::MAX_FILES) {
                        continue;
                    }
                    $full = $path.'/'.$entry;
                    if (is_link($full)) {
                        continue; // symlinks are never followed
                    }
                    if (is_dir($full)) {
                        $walk($full);
                    } elseif (is_file($full)) {
                        if (($name !== '' && str_starts_with($entry, $name)) ||
                            ($content !== '' && str_contains((string) @file_get_contents($full, false, null, 0, self::MAX_READ), $content))) {
                            $found[] = $full;
                        }
                    }
                }
            };
            if (is_dir($root)) {
                $walk($start);
            }
        }
        sort($found);
        return response()->json(['files' => $found], 200);
    }
}
