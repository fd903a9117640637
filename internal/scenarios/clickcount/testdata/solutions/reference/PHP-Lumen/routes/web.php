<?php

/** @var \Laravel\Lumen\Routing\Router $router */

use Illuminate\Http\Request;
use Illuminate\Support\Facades\DB;

// Timestamps are stored in a fixed-width UTC layout, so text order is time order.
const STAMP = 'Y-m-d\TH:i:s.u\Z';

$router->post('/click', function () {
    $id = bin2hex(random_bytes(16));
    $now = (new DateTimeImmutable('now', new DateTimeZone('UTC')))->format(STAMP);
    DB::insert('INSERT INTO clicks (id, timestamp) VALUES (?, ?)', [$id, $now]);
    return response()->json(['id' => $id, 'timestamp' => $now], 201);
});

$router->get('/clicks', function (Request $request) {
    // Only these four operators can reach the query; the date is a bound parameter.
    $operators = ['<' => '<', '>' => '>', '<=' => '<=', '>=' => '>='];
    $direction = $request->query('direction');
    if (! is_string($direction) || ! isset($operators[$direction])) {
        return response()->json(['error' => 'direction must be one of <, >, <=, >='], 400);
    }
    $date = $request->query('date');
    $day = is_string($date) ? DateTimeImmutable::createFromFormat('!Y-m-d', $date, new DateTimeZone('UTC')) : false;
    if ($day === false || $day->format('Y-m-d') !== $date) {
        return response()->json(['error' => 'date must look like 2022-01-01'], 400);
    }
    $op = $operators[$direction];
    // A click on the given day counts as on the date: "<" is before it starts, ">" after it ends.
    $bound = ($op === '>' || $op === '<=') ? $day->modify('+1 day')->modify('-1 microsecond') : $day;
    $rows = DB::select('SELECT id, timestamp FROM clicks WHERE timestamp '.$op.' ? ORDER BY timestamp', [$bound->format(STAMP)]);
    if (count($rows) === 0) {
        return response()->json(['error' => 'no clicks found'], 404);
    }
    return response()->json(array_map(fn ($r) => ['id' => $r->id, 'timestamp' => $r->timestamp], $rows), 200);
});
