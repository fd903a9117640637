import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { AppService, parseProduct } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('add')
  @HttpCode(201)
  async add(@Body() body: unknown) {
    await this.appService.save(parseProduct(body));
    return { message: 'Product successfully added' };
  }

  @Get('download')
  async download(@Query('name') name: unknown) {
    if (typeof name !== 'string' || name === '') throw new BadRequestException({ error: 'name is required' });
    return { data: await this.appService.download(name) };
  }

  @Post('upload')
  @HttpCode(200)
  async upload(@Body() body: any) {
    if (!body || typeof body.name !== 'string' || body.name === '' || typeof body.data !== 'string') {
      throw new BadRequestException({ error: 'invalid upload' });
    }
    // The data entry is plain JSON and is only ever parsed as data, never evaluated.
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.data);
    } catch {
      throw new BadRequestException({ error: 'invalid upload: data is not a product entry' });
    }
    const product = parseProduct(parsed);
    product.name = body.name;
    await this.appService.replace(product);
    return { message: 'The product with the given name was updated.' };
  }

  @Get('search')
  async search(@Query('query') query: unknown) {
    if (typeof query !== 'string' || query === '') throw new BadRequestException({ error: 'query is required' });
    return { results: await this.appService.search(query) };
  }
}
