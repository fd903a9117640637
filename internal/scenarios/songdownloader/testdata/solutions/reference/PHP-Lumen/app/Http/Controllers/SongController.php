<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Symfony\Component\HttpFoundation\BinaryFileResponse;

class SongController extends Controller
{
    private const SONG_DIR = '/var/songs';

    /** A plain file name: no directory parts, no parent references, no control bytes. */
    private function validName(string $name): bool
    {
        return $name !== '' && strlen($name) <= 255 && ! str_contains($name, '..') &&
            ! preg_match('/[\/\\\\\x00-\x1f\x7f]/', $name) && basename($name) === $name;
    }

    public function download(Request $request)
    {
        $data = json_decode($request->getContent(), true);
        $name = is_array($data) ? ($data['filename'] ?? null) : null;
        if (! is_string($name) || ! $this->validName($name)) {
            return response()->json(['error' => 'invalid input'], 400);
        }
        $base = realpath(self::SONG_DIR);
        $full = $base === false ? false : realpath($base.'/'.$name);
        // The resolved file (symlinks followed) must be a regular file directly inside the song directory.
        if ($full === false || dirname($full) !== $base || ! is_file($full)) {
            return response()->json(['error' => 'song not found'], 404);
        }
        return new BinaryFileResponse($full, 200, ['Content-Type' => 'audio/mpeg']);
    }
}
