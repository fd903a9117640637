import { Body, Controller, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('calculator')
  calculator(@Body() body: any, @Res() res: Response) {
    const [status, answer] = this.appService.calculate(body);
    res.status(status).json(answer);
  }
}
