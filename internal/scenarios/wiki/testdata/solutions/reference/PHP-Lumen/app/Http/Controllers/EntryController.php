<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class EntryController extends Controller
{
    private static function e($value): string
    {
        return htmlspecialchars((string) $value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    private static function now(): string
    {
        return gmdate('Y-m-d\TH:i:s\Z');
    }

    private function fail(int $status, string $message)
    {
        return response()->json(['error' => $message], $status);
    }

    private function page(string $title, string $body)
    {
        return response("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>".self::e($title)."</title></head><body>\n".$body."</body></html>\n",
            200, ['Content-Type' => 'text/html; charset=utf-8']);
    }

    private function find(string $id)
    {
        return DB::selectOne('SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?', [$id]);
    }

    private static function entryJson($e): array
    {
        return [
            'id' => $e->id,
            'title' => $e->title,
            'content' => $e->content,
            'lastModifiedBy' => $e->last_modified_by,
            'lastModifiedAt' => $e->last_modified_at,
        ];
    }

    /** Line diff of two texts (longest common subsequence) as [op, line] pairs. */
    private static function lineDiff(string $before, string $after): array
    {
        $a = $before === '' ? [] : explode("\n", $before);
        $b = $after === '' ? [] : explode("\n", $after);
        $n = count($a);
        $m = count($b);
        $lcs = array_fill(0, $n + 1, array_fill(0, $m + 1, 0));
        for ($i = $n - 1; $i >= 0; $i--) {
            for ($j = $m - 1; $j >= 0; $j--) {
                $lcs[$i][$j] = $a[$i] === $b[$j] ? $lcs[$i + 1][$j + 1] + 1 : max($lcs[$i + 1][$j], $lcs[$i][$j + 1]);
            }
        }
        $out = [];
        $i = $j = 0;
        while ($i < $n || $j < $m) {
            if ($i < $n && $j < $m && $a[$i] === $b[$j]) {
                $out[] = [' ', $a[$i]];
                $i++;
                $j++;
            } elseif ($j < $m && ($i === $n || $lcs[$i][$j + 1] >= $lcs[$i + 1][$j])) {
                $out[] = ['+', $b[$j++]];
            } else {
                $out[] = ['-', $a[$i++]];
            }
        }
        return $out;
    }

    public function index()
    {
        $body = "<h1>Wiki entries</h1>\n<ul>";
        $rows = DB::select('SELECT id, title FROM entries ORDER BY created_at, title');
        foreach ($rows as $r) {
            $body .= '<li><a href="/entries/'.rawurlencode($r->id).'">'.self::e($r->title)."</a></li>\n";
        }
        if (count($rows) === 0) {
            $body .= '<li>No entries yet.</li>';
        }
        return $this->page('Wiki', $body."</ul>\n");
    }

    public function store(Request $request)
    {
        $d = json_decode($request->getContent(), true);
        if (! is_array($d) || ! is_string($d['title'] ?? null) || ! is_string($d['content'] ?? null) || ! is_string($d['createdBy'] ?? null) ||
            trim($d['title']) === '' || trim($d['createdBy']) === '') {
            return $this->fail(400, 'title, content and createdBy are required');
        }
        $id = bin2hex(random_bytes(16));
        $at = self::now();
        DB::insert('INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)', [$id, $d['title'], $d['content'], $d['createdBy'], $at, $d['createdBy'], $at]);
        return response()->json(self::entryJson($this->find($id)), 201);
    }

    public function show(string $id)
    {
        $e = $this->find($id);
        if ($e === null) {
            return $this->fail(404, 'entry not found');
        }
        $who = DB::select('SELECT who FROM (SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?
            UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq', [$id, $id]);
        $contributors = array_values(array_unique(array_map(fn ($r) => $r->who, $who)));
        $body = '<h1>'.self::e($e->title)."</h1>\n<div class=\"content\"><pre>".self::e($e->content)."</pre></div>\n".
            '<p>Last edited '.self::e($e->last_modified_at).' by '.self::e($e->last_modified_by)."</p>\n<h2>Contributors</h2>\n<ul>";
        foreach ($contributors as $c) {
            $body .= '<li>'.self::e($c)."</li>\n";
        }
        $body .= "</ul>\n<p><a href=\"/entries/".rawurlencode($e->id)."/edits\">Edit history</a> | <a href=\"/entries\">All entries</a></p>\n";
        return $this->page($e->title, $body);
    }

    public function update(Request $request, string $id)
    {
        $d = json_decode($request->getContent(), true);
        if (! is_array($d) || ! is_string($d['content'] ?? null) || ! is_string($d['modifiedBy'] ?? null) || ! is_string($d['summary'] ?? null) ||
            trim($d['modifiedBy']) === '') {
            return $this->fail(400, 'content, modifiedBy and summary are required');
        }
        $e = $this->find($id);
        if ($e === null) {
            return $this->fail(404, 'entry not found');
        }
        $at = self::now();
        DB::transaction(function () use ($e, $d, $at) {
            DB::insert('INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at) VALUES (?, ?, ?, ?, ?, ?)',
                [$e->id, $e->content, $d['content'], $d['modifiedBy'], $d['summary'], $at]);
            DB::update('UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?',
                [$d['content'], $d['modifiedBy'], $at, $e->id]);
        });
        return response()->json(self::entryJson($this->find($id)), 200);
    }

    public function history(string $id)
    {
        $e = $this->find($id);
        if ($e === null) {
            return $this->fail(404, 'entry not found');
        }
        $edits = DB::select('SELECT old_content, new_content, modified_by, summary, modified_at FROM edits WHERE entry_id = ? ORDER BY seq', [$id]);
        $body = '<h1>History of '.self::e($e->title)."</h1>\n";
        foreach ($edits as $ed) {
            $body .= "<div class=\"edit\">\n<p><strong>".self::e($ed->summary).'</strong> by '.self::e($ed->modified_by).' on '.self::e($ed->modified_at)."</p>\n<pre>";
            foreach (self::lineDiff($ed->old_content, $ed->new_content) as [$op, $line]) {
                $body .= $op.' '.self::e($line)."\n";
            }
            $body .= "</pre>\n</div>\n";
        }
        if (count($edits) === 0) {
            $body .= "<p>This entry has not been edited yet.</p>\n";
        }
        $body .= '<p><a href="/entries/'.rawurlencode($e->id)."\">Back to the entry</a></p>\n";
        return $this->page('History of '.$e->title, $body);
    }
}
