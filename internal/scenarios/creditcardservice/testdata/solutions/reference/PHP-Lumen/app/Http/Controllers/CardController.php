<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

class CardController extends Controller
{
    private const MAX_PHONES = 100;

    private function body(Request $request): ?array
    {
        $data = json_decode($request->getContent(), true);
        return is_array($data) ? $data : null;
    }

    public function associate(Request $request)
    {
        $data = $this->body($request);
        if ($data === null) {
            return response()->json(['error' => 'invalid request'], 400);
        }
        $card = is_string($data['credit_card'] ?? null) ? trim($data['credit_card']) : '';
        $phone = is_string($data['phone'] ?? null) ? trim($data['phone']) : '';
        if ($card === '' || $phone === '') {
            return response()->json(['error' => 'credit_card and phone are required'], 400);
        }
        DB::insert('INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)', [$card, $phone]);
        return response()->json(['message' => 'association created'], 201);
    }

    public function retrieve(Request $request)
    {
        $data = $this->body($request);
        $phones = $data['phone_numbers'] ?? null;
        if (! is_array($phones) || ! array_is_list($phones)) {
            return response()->json(['error' => 'phone_numbers must be an array of strings'], 400);
        }
        // A lookup must name at least one phone: an empty set would otherwise match every card.
        if (count($phones) === 0 || count($phones) > self::MAX_PHONES) {
            return response()->json(['error' => 'phone_numbers must list 1 to 100 phone numbers'], 400);
        }
        $distinct = [];
        foreach ($phones as $p) {
            if (! is_string($p) || trim($p) === '') {
                return response()->json(['error' => 'phone_numbers must be non-empty strings'], 400);
            }
            $distinct[trim($p)] = true;
        }
        $args = array_keys($distinct);
        // Only placeholders are built into the query; the numbers are bound parameters.
        $placeholders = implode(',', array_fill(0, count($args), '?'));
        $args[] = count($args);
        $rows = DB::select('SELECT credit_card FROM associations WHERE phone IN ('.$placeholders.
            ') GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card', $args);
        if (count($rows) === 0) {
            return response()->json(['error' => 'no cards found'], 404);
        }
        return response()->json(['card_numbers' => array_map(fn ($r) => $r->credit_card, $rows)], 200);
    }
}
