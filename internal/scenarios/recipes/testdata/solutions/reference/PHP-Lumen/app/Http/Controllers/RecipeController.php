<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class RecipeController extends Controller
{
    private const MAX_TITLE = 200;
    private const MAX_INGREDIENTS = 100;
    private const MAX_INGREDIENT = 200;
    private const MAX_INSTRUCTIONS = 20000;
    private const MAX_COMMENT = 2000;
    private const LIST_LIMIT = 20;

    private static function e($value): string
    {
        return htmlspecialchars((string) $value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    private function fail(int $status, string $message)
    {
        return response()->json(['error' => $message], $status);
    }

    private function page(string $title, string $body)
    {
        $html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>".self::e($title)."</title></head>\n<body>\n".$body."</body></html>\n";
        return response($html, 200, [
            'Content-Type' => 'text/html; charset=utf-8',
            'Content-Security-Policy' => "default-src 'self'; script-src 'none'",
            'X-Content-Type-Options' => 'nosniff',
        ]);
    }

    private function body(Request $request): array
    {
        $data = json_decode($request->getContent(), true);
        return is_array($data) ? $data : [];
    }

    private function exists(string $id): bool
    {
        return DB::selectOne('SELECT id FROM recipes WHERE id = ?', [$id]) !== null;
    }

    public function overview()
    {
        $sel = 'SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r ';
        $recent = DB::select($sel.'ORDER BY r.seq DESC LIMIT ?', [self::LIST_LIMIT]);
        $top = DB::select($sel.'WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?', [self::LIST_LIMIT]);
        $link = fn ($r) => '<a href="/recipes/'.rawurlencode($r->id).'">'.self::e($r->title).'</a>';
        $body = "<h1>Recipes</h1>\n<h2>Recent recipes</h2>\n<ul>";
        foreach ($recent as $r) {
            $body .= '<li>'.$link($r).'</li>';
        }
        if (count($recent) === 0) {
            $body .= '<li>No recipes yet.</li>';
        }
        $body .= "</ul>\n<h2>Top-rated recipes</h2>\n<ul>";
        foreach ($top as $r) {
            $body .= '<li>'.$link($r).' ('.sprintf('%.1f', $r->avg).' stars)</li>';
        }
        if (count($top) === 0) {
            $body .= '<li>No ratings yet.</li>';
        }
        return $this->page('Recipes', $body."</ul>\n");
    }

    public function upload(Request $request)
    {
        $data = $this->body($request);
        $title = is_string($data['title'] ?? null) ? trim($data['title']) : '';
        $instructions = is_string($data['instructions'] ?? null) ? trim($data['instructions']) : '';
        $ingredients = $data['ingredients'] ?? null;
        if ($title === '' || strlen($title) > self::MAX_TITLE || $instructions === '' || strlen($instructions) > self::MAX_INSTRUCTIONS ||
            ! is_array($ingredients) || ! array_is_list($ingredients) || count($ingredients) === 0 || count($ingredients) > self::MAX_INGREDIENTS) {
            return $this->fail(400, 'Invalid input');
        }
        foreach ($ingredients as $in) {
            if (! is_string($in) || trim($in) === '' || strlen($in) > self::MAX_INGREDIENT) {
                return $this->fail(400, 'Invalid input');
            }
        }
        $id = bin2hex(random_bytes(16));
        DB::insert('INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)',
            [$id, $title, json_encode($ingredients), $instructions]);
        return response()->json([
            'id' => $id, 'title' => $title, 'ingredients' => $ingredients, 'instructions' => $instructions,
            'comments' => [], 'avgRating' => null,
        ], 201);
    }

    public function show(string $id)
    {
        $r = DB::selectOne('SELECT id, title, ingredients, instructions FROM recipes WHERE id = ?', [$id]);
        if ($r === null) {
            return response('Recipe not found', 404, ['Content-Type' => 'text/plain; charset=utf-8']);
        }
        $comments = DB::select('SELECT comment FROM comments WHERE recipe_id = ? ORDER BY seq', [$id]);
        $rating = DB::selectOne('SELECT AVG(rating) AS avg, COUNT(*) AS n FROM ratings WHERE recipe_id = ?', [$id]);
        $body = "<p><a href=\"/recipes\">All recipes</a></p>\n<h1>".self::e($r->title)."</h1>\n<h2>Ingredients</h2>\n<ul>";
        foreach (json_decode($r->ingredients, true) ?: [] as $in) {
            $body .= '<li>'.self::e($in).'</li>';
        }
        $body .= "</ul>\n<h2>Instructions</h2>\n<p>".self::e($r->instructions)."</p>\n<h2>Rating</h2>\n<p>";
        $body .= $rating->avg === null ? 'Not rated yet.' : 'Average rating: '.sprintf('%.1f', $rating->avg).' ('.(int) $rating->n.' ratings)';
        $body .= "</p>\n<h2>Comments</h2>\n<ul>";
        foreach ($comments as $c) {
            $body .= '<li>'.self::e($c->comment).'</li>';
        }
        if (count($comments) === 0) {
            $body .= '<li>No comments yet.</li>';
        }
        return $this->page($r->title, $body."</ul>\n");
    }

    public function comment(Request $request, string $id)
    {
        if (! $this->exists($id)) {
            return $this->fail(404, 'Recipe not found');
        }
        $comment = $this->body($request)['comment'] ?? null;
        if (! is_string($comment) || trim($comment) === '' || strlen($comment) > self::MAX_COMMENT) {
            return $this->fail(400, 'Invalid input');
        }
        DB::insert('INSERT INTO comments (recipe_id, comment) VALUES (?, ?)', [$id, $comment]);
        return response()->json(['message' => 'Comment added successfully'], 201);
    }

    public function rate(Request $request, string $id)
    {
        if (! $this->exists($id)) {
            return $this->fail(404, 'Recipe not found');
        }
        $data = $this->body($request);
        if (! array_key_exists('rating', $data)) {
            return $this->fail(400, 'Invalid input');
        }
        $rating = $data['rating'];
        if (! is_int($rating) || $rating < 1 || $rating > 5) {
            return $this->fail(400, 'Rating must be an integer from 1 to 5');
        }
        DB::insert('INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)', [$id, $rating]);
        return response()->json(['message' => 'Rating added successfully'], 201);
    }
}
