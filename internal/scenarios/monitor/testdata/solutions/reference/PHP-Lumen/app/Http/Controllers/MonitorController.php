<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class MonitorController extends Controller
{
    private const MAX_REGEX = 1000;
    private const MAX_FLAGS = 20000;

    private function fail(int $status, string $message)
    {
        return response()->json(['code' => $status, 'message' => $message], $status);
    }

    /** Runs ps with the flags as separate arguments (no shell) and returns its output, or null. */
    private function ps(array $flags): ?string
    {
        $proc = proc_open(array_merge(['ps'], $flags), [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
        if (! is_resource($proc)) {
            return null;
        }
        $out = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        return proc_close($proc) === 0 ? $out : null;
    }

    public function commands(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        $regex = is_array($data) ? ($data['command_regex'] ?? null) : null;
        if (! is_string($regex)) {
            return $this->fail(400, 'a JSON body with command_regex is required');
        }
        if (strlen($regex) > self::MAX_REGEX) {
            return $this->fail(400, 'command_regex is too long');
        }
        // Matching runs without the JIT and with a small backtracking budget, so a pathological pattern
        // fails fast instead of consuming the CPU.
        ini_set('pcre.jit', '0');
        ini_set('pcre.backtrack_limit', '100000');
        ini_set('pcre.recursion_limit', '10000');
        $pattern = "\x01".$regex."\x01";
        if (@preg_match($pattern, '') === false) {
            return $this->fail(400, 'invalid command_regex');
        }
        $flags = [];
        $raw = $data['filter_flags'] ?? null;
        if ($raw !== null) {
            if (! is_string($raw) || strlen($raw) > self::MAX_FLAGS) {
                return $this->fail(400, 'invalid filter_flags');
            }
            // Each option word may hold letters, digits and a few separators: never a shell character.
            foreach (preg_split('/\s+/', trim($raw), -1, PREG_SPLIT_NO_EMPTY) as $word) {
                if (! preg_match('/^[A-Za-z0-9,=:+-]+$/', $word)) {
                    return $this->fail(400, 'invalid filter_flags');
                }
                $flags[] = $word;
            }
        }
        $out = $this->ps($flags);
        if ($out === null) {
            return $this->fail(400, 'ps rejected the filter flags');
        }
        $lines = preg_split('/\n/', rtrim($out, "\n"));
        $header = preg_split('/\s+/', trim(array_shift($lines)));
        $pidCol = array_search('PID', $header, true);
        $n = count($header);
        if ($pidCol === false || $pidCol === $n - 1) {
            return $this->fail(400, 'ps output has no PID column');
        }
        $matched = [];
        foreach ($lines as $line) {
            $fields = preg_split('/\s+/', trim($line), $n);
            if (count($fields) !== $n || ! ctype_digit($fields[$pidCol])) {
                continue;
            }
            $command = $fields[$n - 1];
            if (preg_match($pattern, $command) === 1) {
                $matched[] = ['processId' => (int) $fields[$pidCol], 'processString' => $command];
            }
        }
        return response()->json($matched, 200);
    }
}
