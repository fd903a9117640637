import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AppService } from './app.service';

function optionalString(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new BadRequestException({ error: 'search fields must be strings or null' });
  return v;
}

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('search')
  @HttpCode(200)
  async search(@Body() body: any) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new BadRequestException({ error: 'a JSON object is required' });
    }
    const content = optionalString(body.search_content);
    const name = optionalString(body.search_filename);
    const dir = optionalString(body.search_dir);
    if (content === '' && name === '') {
      throw new BadRequestException({ error: 'search_content or search_filename is required' });
    }
    return { files: await this.appService.search(content, name, dir) };
  }
}
