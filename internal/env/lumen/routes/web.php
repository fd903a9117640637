<?php

/** @var \Laravel\Lumen\Routing\Router $router */

/*
| Application routes: map URIs to closures or controller actions.
*/

$router->get('/', function () use ($router) {
    return $router->app->version();
});
