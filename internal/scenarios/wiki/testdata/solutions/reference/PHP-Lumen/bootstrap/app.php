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
Illuminate\Support\Facades\DB::statement('CREATE TABLE IF NOT EXISTS entries (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	content TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_modified_by TEXT NOT NULL,
	last_modified_at TEXT NOT NULL
)');
Illuminate\Support\Facades\DB::statement('CREATE TABLE IF NOT EXISTS edits (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	entry_id TEXT NOT NULL REFERENCES entries(id),
	old_content TEXT NOT NULL,
	new_content TEXT NOT NULL,
	modified_by TEXT NOT NULL,
	summary TEXT NOT NULL,
	modified_at TEXT NOT NULL
)');

$app->router->group([
    'namespace' => 'App\Http\Controllers',
], function ($router) {
    require __DIR__.'/../routes/web.php';
});

return $app;
