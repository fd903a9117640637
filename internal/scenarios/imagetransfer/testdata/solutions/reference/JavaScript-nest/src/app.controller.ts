import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Response } from 'express';
import { AppService, MAX_UPLOAD } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('upload')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD, files: 1 } }))
  async upload(@UploadedFile() file: Express.Multer.File | undefined) {
    if (!file) throw new BadRequestException({ error: 'the file is missing' });
    return { id: await this.appService.store(file.originalname, file.buffer) };
  }

  @Get('images/:imageId')
  async image(@Param('imageId') id: string, @Res() res: Response) {
    const { type, data } = await this.appService.load(id);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (this.appService.isInline(type)) {
      res.setHeader('Content-Type', type);
      res.setHeader('Content-Disposition', 'inline');
    } else {
      // Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Disposition', 'attachment');
    }
    res.status(200).end(data);
  }
}
