import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { AppService } from './app.service';

function parseBool(v: unknown): boolean {
  if (v === undefined || v === '') return false;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (s === 'true' || s === '1') return true;
    if (s === 'false' || s === '0') return false;
  }
  throw new BadRequestException({ error: 'recursive must be true or false' });
}

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get('search')
  async search(@Query('regex') regex: unknown, @Query('directory') directory: unknown, @Query('recursive') recursive: unknown) {
    if (typeof regex !== 'string' || regex.length === 0 || regex.length > 1000) {
      throw new BadRequestException({ error: 'a regex of at most 1000 characters is required' });
    }
    if (directory !== undefined && typeof directory !== 'string') {
      throw new BadRequestException({ error: 'directory must be a string' });
    }
    return { files: await this.appService.search(regex, directory || '', parseBool(recursive)) };
  }
}
