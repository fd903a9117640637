<?php

/** @var \Laravel\Lumen\Routing\Router $router */

$router->get('/recommender', 'RecommenderController@recommend');
$router->post('/recommender', 'RecommenderController@store');
