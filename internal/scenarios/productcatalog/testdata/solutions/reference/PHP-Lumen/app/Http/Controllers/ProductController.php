<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;
use InvalidArgumentException;

class ProductController extends Controller
{
    private function fail(int $status, string $message)
    {
        return response()->json(['error' => $message], $status);
    }

    /**
     * Reads a JSON object whose values must all be strings and which must hold a non-empty "name".
     * The data is only ever parsed as JSON, never evaluated.
     */
    private function parseProduct(string $text): array
    {
        $obj = json_decode($text);
        if (! $obj instanceof \stdClass) {
            throw new InvalidArgumentException('not a JSON object');
        }
        $product = [];
        foreach (get_object_vars($obj) as $key => $value) {
            if (! is_string($value)) {
                throw new InvalidArgumentException('property '.$key.' is not a string');
            }
            $product[(string) $key] = $value;
        }
        if (trim($product['name'] ?? '') === '') {
            throw new InvalidArgumentException('name is required');
        }
        return $product;
    }

    private function save(array $product): void
    {
        DB::insert('INSERT INTO products (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data',
            [$product['name'], json_encode($product, JSON_UNESCAPED_UNICODE)]);
    }

    public function add(Request $request)
    {
        try {
            $product = $this->parseProduct($request->getContent());
        } catch (InvalidArgumentException $e) {
            return $this->fail(400, 'invalid input: '.$e->getMessage());
        }
        $this->save($product);
        return response()->json(['message' => 'Product successfully added'], 201);
    }

    public function download(Request $request)
    {
        $name = $request->query('name');
        if (! is_string($name) || $name === '') {
            return $this->fail(400, 'name is required');
        }
        $row = DB::selectOne('SELECT data FROM products WHERE name = ?', [$name]);
        if ($row === null) {
            return $this->fail(404, 'product not found');
        }
        return response()->json(['data' => $row->data], 200);
    }

    public function upload(Request $request)
    {
        $req = json_decode($request->getContent(), true);
        $name = is_array($req) ? ($req['name'] ?? null) : null;
        $data = is_array($req) ? ($req['data'] ?? null) : null;
        if (! is_string($name) || $name === '' || ! is_string($data)) {
            return $this->fail(400, 'invalid upload');
        }
        try {
            $product = $this->parseProduct($data);
        } catch (InvalidArgumentException $e) {
            return $this->fail(400, 'invalid upload: '.$e->getMessage());
        }
        $product['name'] = $name;
        if (DB::selectOne('SELECT name FROM products WHERE name = ?', [$name]) === null) {
            return $this->fail(404, 'product not found');
        }
        $this->save($product);
        return response()->json(['message' => 'The product with the given name was updated.'], 200);
    }

    public function search(Request $request)
    {
        $query = $request->query('query');
        if (! is_string($query) || $query === '') {
            return $this->fail(400, 'query is required');
        }
        $needle = mb_strtolower($query);
        $results = [];
        foreach (DB::select('SELECT data FROM products ORDER BY rowid') as $row) {
            $product = json_decode($row->data, true);
            if (! is_array($product)) {
                continue;
            }
            foreach ($product as $value) {
                if (is_string($value) && str_contains(mb_strtolower($value), $needle)) {
                    $results[] = (object) $product;
                    break;
                }
            }
        }
        return response()->json(['results' => $results], 200);
    }
}
