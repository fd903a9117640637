import { BadRequestException, Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { AppService } from './app.service';

const MAX_LIMIT = 1000;

// intParam reads a non-negative integer query parameter, def when absent.
function intParam(v: unknown, name: string, def: number, max: number): number {
  if (v === undefined || v === '') return def;
  if (typeof v !== 'string' || !/^\d{1,10}$/.test(v) || Number(v) > max) {
    throw new BadRequestException(`${name} must be an integer between 0 and ${max}`);
  }
  return Number(v);
}

@Controller('messages')
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post()
  @HttpCode(200)
  async post(@Body() body: any) {
    const content = body && typeof body.content === 'string' ? body.content : '';
    if (content.trim() === '') throw new BadRequestException({ error: 'content is required' });
    const username = body && typeof body.username === 'string' && body.username.trim() !== '' ? body.username : 'anonymous';
    await this.appService.post(content, username);
    return { message: 'posted' };
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'")
  list(@Query('limit') limit: unknown, @Query('offset') offset: unknown, @Query('sort') sort: unknown): Promise<string> {
    let order: 'ASC' | 'DESC' = 'DESC';
    if (sort !== undefined && sort !== '') {
      const s = typeof sort === 'string' ? sort.toUpperCase() : '';
      if (s !== 'ASC' && s !== 'DESC') throw new BadRequestException('sort must be ASC or DESC');
      order = s;
    }
    return this.appService.render(
      intParam(limit, 'limit', 10, MAX_LIMIT),
      intParam(offset, 'offset', 0, 2 ** 31 - 1),
      order,
    );
  }
}
