<?php

/** @var \Laravel\Lumen\Routing\Router $router */

$router->get('/recipes', 'RecipeController@overview');
$router->post('/recipes/upload', 'RecipeController@upload');
$router->get('/recipes/{id}', 'RecipeController@show');
$router->post('/recipes/{id}/comments', 'RecipeController@comment');
$router->post('/recipes/{id}/ratings', 'RecipeController@rate');
