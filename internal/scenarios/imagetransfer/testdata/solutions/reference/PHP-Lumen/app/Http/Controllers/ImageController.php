<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;
use Symfony\Component\HttpFoundation\BinaryFileResponse;

class ImageController extends Controller
{
    private const IMAGE_DIR = '/tmp/images';

    // Formats a browser may show inline; anything else is sent as a download.
    private const INLINE = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif',
        'image/x-icon', 'image/vnd.microsoft.icon', 'image/tiff'];

    private const BY_EXTENSION = [
        'png' => 'image/png', 'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg', 'gif' => 'image/gif',
        'webp' => 'image/webp', 'bmp' => 'image/bmp', 'avif' => 'image/avif', 'ico' => 'image/x-icon',
        'tif' => 'image/tiff', 'tiff' => 'image/tiff', 'svg' => 'image/svg+xml', 'html' => 'text/html',
        'htm' => 'text/html', 'js' => 'text/javascript', 'txt' => 'text/plain',
    ];

    private function fail(int $status, string $message)
    {
        return response()->json(['error' => $message], $status);
    }

    /** The media type from the file name's extension, else from the content. */
    private function mediaType(string $name, string $path): string
    {
        $ext = strtolower(pathinfo($name, PATHINFO_EXTENSION));
        if (isset(self::BY_EXTENSION[$ext])) {
            return self::BY_EXTENSION[$ext];
        }
        $detected = (new \finfo(FILEINFO_MIME_TYPE))->file($path);
        return is_string($detected) ? $detected : 'application/octet-stream';
    }

    public function upload(Request $request)
    {
        $file = $request->file('file');
        if ($file === null || is_array($file) || ! $file->isValid()) {
            return $this->fail(400, 'a multipart form with a file is required');
        }
        if (! is_dir(self::IMAGE_DIR) && ! mkdir(self::IMAGE_DIR, 0700, true) && ! is_dir(self::IMAGE_DIR)) {
            return $this->fail(500, 'the file could not be stored');
        }
        // The stored file is named by a random identifier; the client's file name only hints at the type.
        $id = bin2hex(random_bytes(16));
        $type = $this->mediaType($file->getClientOriginalName(), $file->getRealPath());
        $file->move(self::IMAGE_DIR, $id);
        DB::insert('INSERT INTO images (id, media_type) VALUES (?, ?)', [$id, $type]);
        return response()->json(['id' => $id], 200);
    }

    public function show(string $imageId)
    {
        if (! preg_match('/^[0-9a-f]{32}$/', $imageId)) {
            return $this->fail(404, 'image not found');
        }
        $row = DB::selectOne('SELECT media_type FROM images WHERE id = ?', [$imageId]);
        $path = self::IMAGE_DIR.'/'.$imageId;
        if ($row === null || ! is_file($path)) {
            return $this->fail(404, 'image not found');
        }
        $inline = in_array($row->media_type, self::INLINE, true);
        // Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
        return new BinaryFileResponse($path, 200, [
            'Content-Type' => $inline ? $row->media_type : 'application/octet-stream',
            'Content-Disposition' => $inline ? 'inline' : 'attachment',
            'X-Content-Type-Options' => 'nosniff',
        ]);
    }
}
