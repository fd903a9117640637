import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Post,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { randomUUID } from 'crypto';
import { mkdirSync } from 'fs';
import { diskStorage } from 'multer';
import { tmpdir } from 'os';
import * as path from 'path';
import { AppService, MAX_UPLOAD } from './app.service';

const UPLOAD_DIR = path.join(tmpdir(), 'frame-uploads');
mkdirSync(UPLOAD_DIR, { recursive: true, mode: 0o700 });

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  // The video is streamed to disk under a generated name: neither videoFileName nor the part's file
  // name is ever used as a path.
  @Post('extract')
  @HttpCode(200)
  @UseInterceptors(
    FileInterceptor('video', {
      storage: diskStorage({ destination: UPLOAD_DIR, filename: (_req, _file, cb) => cb(null, randomUUID()) }),
      limits: { fileSize: MAX_UPLOAD, files: 1, fields: 10 },
    }),
  )
  async extract(@UploadedFile() video: Express.Multer.File | undefined, @Body() body: any): Promise<StreamableFile> {
    try {
      if (!video) throw new BadRequestException({ error: 'the video file is missing' });
      const raw = body && typeof body.frameNumber === 'string' ? body.frameNumber.trim() : '';
      if (!/^\d{1,10}$/.test(raw)) throw new BadRequestException({ error: 'frameNumber must be a non-negative integer' });
      const png = await this.appService.extractFrame(video.path, Number(raw));
      return new StreamableFile(png, { type: 'image/png' });
    } finally {
      if (video) await this.appService.remove(video.path);
    }
  }
}
