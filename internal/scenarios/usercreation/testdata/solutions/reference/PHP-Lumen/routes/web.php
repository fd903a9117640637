<?php

/** @var \Laravel\Lumen\Routing\Router $router */

$router->post('/invite_user', 'InvitationController@invite');
$router->post('/create_user', 'InvitationController@createUser');
