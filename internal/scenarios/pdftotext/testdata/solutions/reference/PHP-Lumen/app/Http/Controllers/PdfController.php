<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class PdfController extends Controller
{
    private const MAX_UPLOAD = 5242880;

    /** Runs a command given as an argument list (no shell); returns [exit code, stdout]. */
    private function run(array $cmd): array
    {
        $proc = proc_open($cmd, [0 => ["file", "/dev/null", "r"], 1 => ["pipe", "w"], 2 => ["file", "/dev/null", "w"]], $pipes);
        if (! is_resource($proc)) {
            return [-1, ""];
        }
        $out = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        return [proc_close($proc), (string) $out];
    }

    private function text(int $status, string $message)
    {
        return response($message."\n", $status, ['Content-Type' => 'text/plain; charset=utf-8']);
    }

    public function convert(Request $request)
    {
        $file = $request->file('file');
        if ($file === null || is_array($file)) {
            // PHP drops uploads above its own size limits, so an oversized file arrives as no file.
            return $this->text(400, 'a multipart/form-data body with a PDF file is required');
        }
        if (! $file->isValid() || $file->getSize() > self::MAX_UPLOAD) {
            return $this->text(413, 'the file is too large or incomplete');
        }
        if ($file->getSize() === 0) {
            return $this->text(400, 'the file is empty');
        }
        // The client's file name is never used: pdftotext reads PHP's own temporary file.
        [$code, $out] = $this->run(['timeout', '30', 'pdftotext', '-enc', 'UTF-8', $file->getRealPath(), '-']);
        if ($code !== 0) {
            return $this->text(500, 'the file could not be converted');
        }
        return response($out, 200, ['Content-Type' => 'text/plain; charset=utf-8']);
    }
}
