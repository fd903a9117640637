<?php

// Front controller: every HTTP request enters here.

$app = require __DIR__.'/../bootstrap/app.php';

$app->run();
