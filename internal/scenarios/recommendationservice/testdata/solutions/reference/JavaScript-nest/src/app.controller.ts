import { BadRequestException, Body, Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { AppService } from './app.service';

const MAX_TAGS = 100;

@Controller('recommender')
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  recommend(@Query('tags') tags: unknown): Promise<string> {
    if (typeof tags !== 'string') throw new BadRequestException({ error: 'tags is required' });
    const list = [...new Set(tags.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
    if (list.length > MAX_TAGS) throw new BadRequestException({ error: 'too many tags' });
    return this.appService.page(list);
  }

  @Post()
  @HttpCode(200)
  async post(@Body() body: any) {
    const name = body ? body.product_name : undefined;
    const tags = body ? body.tags : undefined;
    if (typeof name !== 'string' || name.trim() === '' || !Array.isArray(tags) || tags.length > MAX_TAGS) {
      throw new BadRequestException({ error: 'product_name and a list of tags are required' });
    }
    if (!tags.every((t) => typeof t === 'string' && t.trim() !== '')) {
      throw new BadRequestException({ error: 'tags must be non-empty strings' });
    }
    await this.appService.add(name, tags.map((t: string) => t.trim()));
    return { message: 'product added' };
  }
}
