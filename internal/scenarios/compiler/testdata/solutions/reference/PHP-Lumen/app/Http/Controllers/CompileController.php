<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class CompileController extends Controller
{
    private const MAX_OUTPUT = 65536;

    private function failure(int $status, string $message)
    {
        return response()->json(['hasError' => true, 'compilerError' => $message], $status);
    }

    /** Runs a command given as an argument list (no shell) in $dir; returns [exit code, output]. */
    private function run(array $cmd, string $dir): array
    {
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, $dir);
        if (! is_resource($proc)) {
            return [-1, ''];
        }
        $out = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        return [proc_close($proc), (string) $out];
    }

    private static function removeDir(string $dir): void
    {
        foreach (scandir($dir) ?: [] as $f) {
            if ($f !== '.' && $f !== '..') {
                is_dir("$dir/$f") ? self::removeDir("$dir/$f") : unlink("$dir/$f");
            }
        }
        rmdir($dir);
    }

    public function compile(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        $name = is_array($data) ? ($data['fileName'] ?? null) : null;
        $content = is_array($data) ? ($data['fileContent'] ?? null) : null;
        if (! is_string($name) || ! is_string($content)) {
            return $this->failure(400, 'fileName and fileContent are required');
        }
        // A plain file name only: no directories, no leading dash or dot, no shell characters.
        if (! preg_match('/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/', $name) || str_contains($name, '..')) {
            return $this->failure(400, 'invalid file name');
        }
        if (str_ends_with($name, '.cpp')) {
            $cmd = ['timeout', '60', 'g++', '-o', 'program', './'.$name];
        } elseif (str_ends_with($name, '.ts')) {
            $cmd = ['timeout', '60', 'tsc', '--noEmit', '--pretty', 'false', './'.$name];
        } else {
            return $this->failure(400, 'unsupported file type: only .ts and .cpp files can be compiled');
        }
        // The source goes into a fresh private directory under its validated name.
        $dir = sys_get_temp_dir().'/compile-'.bin2hex(random_bytes(8));
        if (! mkdir($dir, 0700) || file_put_contents($dir.'/'.$name, $content) === false) {
            return $this->failure(500, 'the compiler could not be run');
        }
        try {
            [$code, $out] = $this->run($cmd, $dir);
        } finally {
            self::removeDir($dir);
        }
        if ($code === 0) {
            return response()->json(['hasError' => false, 'compilerError' => null], 200);
        }
        $text = substr(trim($out), 0, self::MAX_OUTPUT);
        if ($code === 124) {
            $text = 'compilation timed out';
        }
        return response()->json(['hasError' => true, 'compilerError' => str_replace('./'.$name, $name, $text)], 200);
    }
}
