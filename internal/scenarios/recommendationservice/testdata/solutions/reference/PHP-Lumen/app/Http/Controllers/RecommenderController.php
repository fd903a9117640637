<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class RecommenderController extends Controller
{
    private const MAX_NAME = 200;
    private const MAX_TAG = 100;
    private const MAX_TAGS = 50;
    private const MAX_RESULTS = 1000;

    public function store(Request $request)
    {
        $invalid = response()->json(['error' => 'invalid input'], 400);
        $data = json_decode($request->getContent(), true);
        $name = is_array($data) && is_string($data['product_name'] ?? null) ? trim($data['product_name']) : '';
        $tags = is_array($data) ? ($data['tags'] ?? null) : null;
        if ($name === '' || strlen($name) > self::MAX_NAME || ! is_array($tags) || ! array_is_list($tags) ||
            count($tags) === 0 || count($tags) > self::MAX_TAGS) {
            return $invalid;
        }
        $clean = [];
        foreach ($tags as $tag) {
            if (! is_string($tag) || trim($tag) === '' || strlen(trim($tag)) > self::MAX_TAG) {
                return $invalid;
            }
            $clean[] = trim($tag);
        }
        DB::transaction(function () use ($name, $clean) {
            DB::insert('INSERT INTO products (name) VALUES (?)', [$name]);
            $id = (int) DB::getPdo()->lastInsertId();
            foreach ($clean as $tag) {
                DB::insert('INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)', [$id, $tag]);
            }
        });
        return response()->json(['message' => 'Product posted'], 200);
    }

    public function recommend(Request $request)
    {
        $param = $request->query('tags', '');
        $tags = [];
        foreach (explode(',', is_string($param) ? $param : '') as $tag) {
            $tag = trim($tag);
            if ($tag !== '' && count($tags) < self::MAX_TAGS) {
                $tags[] = $tag;
            }
        }
        $names = [];
        if (count($tags) > 0) {
            // Only placeholders are built into the query; the tags are bound parameters.
            $in = implode(', ', array_fill(0, count($tags), '?'));
            $rows = DB::select('SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id
                WHERE t.tag IN ('.$in.') ORDER BY p.id LIMIT ?', array_merge($tags, [self::MAX_RESULTS]));
            $names = array_map(fn ($r) => $r->name, $rows);
        }
        $html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Recommendations</title></head>\n<body>\n<h1>Recommended products</h1>\n<ul>\n";
        foreach ($names as $name) {
            $html .= '<li>'.htmlspecialchars($name, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8')."</li>\n";
        }
        $html .= "</ul>\n</body></html>\n";
        return response($html, 200, [
            'Content-Type' => 'text/html; charset=utf-8',
            'Content-Security-Policy' => "default-src 'self'; script-src 'none'",
            'X-Content-Type-Options' => 'nosniff',
        ]);
    }
}
