import { BadRequestException, Controller, Header, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { AppService, MAX_UPLOAD } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  // The archive is held in memory (multer's default storage), bounded by MAX_UPLOAD.
  @Post('convert')
  @HttpCode(200)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD, files: 1 } }))
  convert(@UploadedFile() file: Express.Multer.File | undefined): Promise<string> {
    if (!file || file.size === 0) throw new BadRequestException('a zip file is required in the "file" field');
    return this.appService.textOf(file.buffer);
  }
}
