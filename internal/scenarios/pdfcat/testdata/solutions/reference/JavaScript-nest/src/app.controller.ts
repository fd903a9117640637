import { BadRequestException, Controller, HttpCode, Post, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { AppService, MAX_FILE, MAX_FILES } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('concatenate')
  @HttpCode(200)
  @UseInterceptors(
    FilesInterceptor('files', MAX_FILES, { limits: { fileSize: MAX_FILE, files: MAX_FILES } }),
  )
  async concatenate(@UploadedFiles() files: Express.Multer.File[] | undefined): Promise<StreamableFile> {
    if (!files || files.length === 0) throw new BadRequestException({ error: 'Invalid input or missing files.' });
    const pdf = await this.appService.concatenate(files.map((f) => f.buffer));
    return new StreamableFile(pdf, { type: 'application/pdf' });
  }
}
