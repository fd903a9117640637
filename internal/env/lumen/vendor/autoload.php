<?php

// Stands in for Composer's generated autoloader: packagist is unreachable, so the framework comes from
// Debian's php-laravel-lumen-framework (which loads its Illuminate and Symfony dependencies), and the
// project's own namespaces are mapped here as the skeleton's composer.json maps them.

require_once '/usr/share/php/Laravel/Lumen/autoload.php';

spl_autoload_register(function ($class) {
    static $map = [
        'App\\' => 'app/',
        'Database\\Factories\\' => 'database/factories/',
        'Database\\Seeders\\' => 'database/seeders/',
        'Tests\\' => 'tests/',
    ];
    foreach ($map as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
            continue;
        }
        $file = dirname(__DIR__).'/'.$dir.str_replace('\\', '/', substr($class, strlen($prefix))).'.php';
        if (is_file($file)) {
            require $file;
        }
        return;
    }
});
