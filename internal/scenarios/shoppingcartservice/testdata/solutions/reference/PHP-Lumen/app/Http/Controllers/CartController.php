<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class CartController extends Controller
{
    private const MAX_COUNT = 1000000;

    private function fail(int $status, string $message)
    {
        return response()->json(['error' => $message], $status);
    }

    private function body(Request $request): array
    {
        $data = json_decode($request->getContent(), true);
        return is_array($data) ? $data : [];
    }

    public function create()
    {
        // Cart ids are random UUID-like tokens: knowing one cart does not reveal another.
        $id = bin2hex(random_bytes(16));
        DB::insert('INSERT INTO carts (id, created_at) VALUES (?, ?)', [$id, gmdate('Y-m-d\TH:i:s\Z')]);
        return response()->json(['cart_id' => $id], 201);
    }

    public function add(Request $request)
    {
        $data = $this->body($request);
        $cartId = $data['cart_id'] ?? null;
        $itemId = $data['item_id'] ?? null;
        $count = $data['count'] ?? null;
        if (! is_string($cartId) || ! is_int($itemId) || ! is_int($count)) {
            return $this->fail(400, 'cart_id (string), item_id (integer) and count (integer) are required');
        }
        if ($count > self::MAX_COUNT || $count < -self::MAX_COUNT) {
            return $this->fail(400, 'count is out of range');
        }
        return DB::transaction(function () use ($cartId, $itemId, $count) {
            if (DB::selectOne('SELECT id FROM carts WHERE id = ?', [$cartId]) === null) {
                return $this->fail(404, 'cart not found');
            }
            $row = DB::selectOne('SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?', [$cartId, $itemId]);
            $next = ($row === null ? 0 : (int) $row->count) + $count;
            if ($next < 0) {
                return $this->fail(400, 'cannot remove more items than the cart holds');
            }
            if ($next > self::MAX_COUNT) {
                return $this->fail(400, 'count is out of range');
            }
            if ($next === 0) {
                DB::delete('DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?', [$cartId, $itemId]);
            } else {
                DB::insert('INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?)
                    ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count', [$cartId, $itemId, $next]);
            }
            return response()->json(['message' => 'Item updated'], 200);
        });
    }

    public function retrieve(Request $request)
    {
        $cartId = $this->body($request)['cart_id'] ?? null;
        if (! is_string($cartId)) {
            return $this->fail(400, 'cart_id (string) is required');
        }
        if (DB::selectOne('SELECT id FROM carts WHERE id = ?', [$cartId]) === null) {
            return $this->fail(404, 'cart not found');
        }
        $rows = DB::select('SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id', [$cartId]);
        return response()->json([
            'cart_id' => $cartId,
            'items' => array_map(fn ($r) => ['item_id' => (int) $r->item_id, 'count' => (int) $r->count], $rows),
        ], 200);
    }
}
