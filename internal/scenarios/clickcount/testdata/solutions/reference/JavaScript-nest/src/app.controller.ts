import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('click')
  async click(@Res() res: Response) {
    const [status, answer] = await this.appService.addClick();
    res.status(status).json(answer);
  }

  @Get('clicks')
  async clicks(@Query('date') date: unknown, @Query('direction') direction: unknown, @Res() res: Response) {
    const [status, answer] = await this.appService.listClicks(date, direction);
    res.status(status).json(answer);
  }
}
