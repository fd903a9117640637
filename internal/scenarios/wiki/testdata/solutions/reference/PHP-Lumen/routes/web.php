<?php

/** @var \Laravel\Lumen\Routing\Router $router */

$router->get('/entries', 'EntryController@index');
$router->post('/entries', 'EntryController@store');
$router->get('/entries/{id}', 'EntryController@show');
$router->put('/entries/{id}', 'EntryController@update');
$router->get('/entries/{id}/edits', 'EntryController@history');
