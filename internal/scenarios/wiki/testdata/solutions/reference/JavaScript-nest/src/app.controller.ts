import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, Post, Put } from '@nestjs/common';
import { AppService, Entry } from './app.service';

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

@Controller('entries')
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  list(): Promise<string> {
    return this.appService.listPage();
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: any): Promise<Entry> {
    if (!body || !nonEmpty(body.title) || typeof body.content !== 'string' || !nonEmpty(body.createdBy)) {
      throw new BadRequestException({ error: 'title, content and createdBy are required' });
    }
    return this.appService.create(body.title, body.content, body.createdBy);
  }

  @Get(':id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  show(@Param('id') id: string): Promise<string> {
    return this.appService.entryPage(id);
  }

  @Put(':id')
  @HttpCode(200)
  update(@Param('id') id: string, @Body() body: any): Promise<Entry> {
    if (!body || typeof body.content !== 'string' || !nonEmpty(body.modifiedBy) || typeof body.summary !== 'string') {
      throw new BadRequestException({ error: 'content, modifiedBy and summary are required' });
    }
    return this.appService.update(id, body.content, body.modifiedBy, body.summary);
  }

  @Get(':id/edits')
  @Header('Content-Type', 'text/html; charset=utf-8')
  edits(@Param('id') id: string): Promise<string> {
    return this.appService.editsPage(id);
  }
}
