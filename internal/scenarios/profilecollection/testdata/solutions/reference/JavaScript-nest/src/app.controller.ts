import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { Response } from 'express';
import { AppService, MAX_PAGE, MAX_PHOTO } from './app.service';

const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PNG_MAGIC = Buffer.from('\x89PNG\r\n\x1a\n', 'latin1');

type Uploads = { profile_photo?: Express.Multer.File[]; profile_page?: Express.Multer.File[] };

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  // Fields and files are bounded by multer: an oversized page or photo is refused before it is stored.
  @Post('add_profile')
  @HttpCode(201)
  @UseInterceptors(
    FileFieldsInterceptor(
      [
        { name: 'profile_photo', maxCount: 1 },
        { name: 'profile_page', maxCount: 1 },
      ],
      { limits: { fieldSize: MAX_PAGE, fileSize: MAX_PHOTO, files: 2, fields: 10 } },
    ),
  )
  async add(@UploadedFiles() files: Uploads | undefined, @Body() body: any) {
    const username = body && typeof body.username === 'string' ? body.username : '';
    // The page may come as a text field or as a file part.
    const pageFile = files && files.profile_page ? files.profile_page[0] : undefined;
    const page = body && typeof body.profile_page === 'string' ? body.profile_page : pageFile ? pageFile.buffer.toString('utf8') : '';
    const photo = files && files.profile_photo ? files.profile_photo[0].buffer : undefined;
    if (!USERNAME.test(username) || page === '' || page.length > MAX_PAGE || !photo || !photo.subarray(0, 8).equals(PNG_MAGIC)) {
      throw new BadRequestException('Invalid input');
    }
    await this.appService.create(username, page, photo);
    return { message: 'Profile created successfully' };
  }

  @Get('profile/:username')
  async profile(@Param('username') username: string, @Res() res: Response) {
    const page = await this.appService.page(username);
    // User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(200).send(page);
  }

  @Get('profile-photo/:username')
  async photo(@Param('username') username: string, @Res() res: Response) {
    const photo = await this.appService.photo(username);
    res.setHeader('Content-Type', 'image/png');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(200).end(photo);
  }
}
