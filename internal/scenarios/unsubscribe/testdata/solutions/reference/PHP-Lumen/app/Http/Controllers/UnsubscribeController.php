<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class UnsubscribeController extends Controller
{
    private const MAX_MAIL = 1048576;
    private const KEYWORDS = ['unsubscribe', 'remove me', 'deregister me', 'stop sending me', 'delete me'];

    private function fail(string $message)
    {
        return response()->json(['error' => $message], 400);
    }

    /**
     * The e-mail text of a request. The API takes the raw mail as text/plain; a client that wraps it in a
     * JSON object {"content": "..."} is accepted too.
     */
    private function rawMail(Request $request): ?string
    {
        $body = $request->getContent();
        $isJson = str_starts_with(strtolower((string) $request->header('Content-Type', '')), 'application/json');
        if ($isJson || str_starts_with(ltrim($body), '{')) {
            $data = json_decode($body, true);
            if (is_array($data) && is_string($data['content'] ?? null)) {
                return $data['content'];
            }
            if ($isJson) {
                return null;
            }
        }
        return $body;
    }

    /** Splits a message into its own header block (continuation lines unfolded) and its body. */
    private function parse(string $raw): array
    {
        $raw = str_replace("\r\n", "\n", $raw);
        $cut = strpos($raw, "\n\n");
        $head = $cut === false ? $raw : substr($raw, 0, $cut);
        $body = $cut === false ? '' : substr($raw, $cut + 2);
        $headers = [];
        foreach (explode("\n", preg_replace('/\n[ \t]+/', ' ', $head)) as $line) {
            $colon = strpos($line, ':');
            if ($colon !== false) {
                $name = strtolower(trim(substr($line, 0, $colon)));
                $headers[$name] ??= trim(substr($line, $colon + 1));
            }
        }
        return [$headers, $body];
    }

    /** The address of the message's own From header; lines that look like headers in the body are never used. */
    private function sender(array $headers): ?string
    {
        $from = $headers['from'] ?? '';
        $addr = preg_match('/<([^<>\s]+)>/', $from, $m) ? $m[1] : trim(explode(',', $from)[0]);
        return filter_var($addr, FILTER_VALIDATE_EMAIL) === false ? null : $addr;
    }

    public function decide(Request $request)
    {
        if (strlen($request->getContent()) > self::MAX_MAIL) {
            return $this->fail('the e-mail is too large');
        }
        $raw = $this->rawMail($request);
        if ($raw === null || trim($raw) === '') {
            return $this->fail('no e-mail given');
        }
        [$headers, $body] = $this->parse($raw);
        $email = $this->sender($headers);
        if ($email === null) {
            return $this->fail('the e-mail has no valid sender');
        }
        $subject = $headers['subject'] ?? '';
        $decoded = @iconv_mime_decode($subject, ICONV_MIME_DECODE_CONTINUE_ON_ERROR, 'UTF-8');
        // Keywords are looked for in the subject and the body, as sent and with quoted-printable undone,
        // ignoring case and line breaks.
        $text = strtolower(($decoded === false ? $subject : $decoded)."\n".$body."\n".quoted_printable_decode($body));
        $text = preg_replace('/\s+/', ' ', $text);
        $unsubscribe = false;
        foreach (self::KEYWORDS as $k) {
            if (str_contains($text, $k)) {
                $unsubscribe = true;
                break;
            }
        }
        return response()->json(['email' => $email, 'unsubscribe' => $unsubscribe], 200);
    }
}
