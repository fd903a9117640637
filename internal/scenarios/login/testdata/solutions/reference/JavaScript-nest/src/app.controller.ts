import { Body, Controller, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('register')
  async register(@Body() body: any, @Res() res: Response) {
    const [status, answer] = await this.appService.register(body);
    res.status(status).json(answer);
  }

  @Post('login')
  async login(@Body() body: any, @Res() res: Response) {
    const [status, answer] = await this.appService.login(body);
    res.status(status).json(answer);
  }
}
