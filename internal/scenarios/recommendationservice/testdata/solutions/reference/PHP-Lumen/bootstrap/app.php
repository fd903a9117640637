<?php

require_once __DIR__.'/../vendor/autoload.php';

(new Laravel\Lumen\Bootstrap\LoadEnvironmentVariables(
    dirname(__DIR__)
))->bootstrap();

date_default_timezone_set('UTC');

$app = new Laravel\Lumen\Application(
    dirname(__DIR__)
);

$app->withFacades();
$app->withEloquent();

$app->singleton(
    Illuminate\Contracts\Debug\ExceptionHandler::class,
    App\Exceptions\Handler::class
);

$app->singleton(
    Illuminate\Contracts\Console\Kernel::class,
    App\Console\Kernel::class
);

$app->configure('app');

// The database file and its tables are created on first use.
$db = env('DB_DATABASE', '/app/db.sqlite3');
if (! file_exists($db)) {
    touch($db);
}
Illuminate\Support\Facades\DB::statement('CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL
)');
Illuminate\Support\Facades\DB::statement('CREATE TABLE IF NOT EXISTS product_tags (
    product_id INTEGER NOT NULL REFERENCES products(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
)');
Illuminate\Support\Facades\DB::statement('CREATE INDEX IF NOT EXISTS product_tags_tag ON product_tags (tag)');

$app->router->group([
    'namespace' => 'App\Http\Controllers',
], function ($router) {
    require __DIR__.'/../routes/web.php';
});

return $app;
