import { Body, Controller, HttpCode, Post, StreamableFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { AppService, MAX_IMAGE_BYTES, MAX_IMAGES } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('create-gif')
  @HttpCode(200)
  @UseInterceptors(
    FilesInterceptor('images', MAX_IMAGES, { limits: { fileSize: MAX_IMAGE_BYTES, files: MAX_IMAGES, fields: 20 } }),
  )
  async createGif(@UploadedFiles() images: Express.Multer.File[] | undefined, @Body() body: any): Promise<StreamableFile> {
    const options = this.appService.parseOptions(body || {});
    const gif = await this.appService.createGif((images || []).map((f) => f.buffer), options);
    return new StreamableFile(gif, { type: 'image/gif' });
  }
}
