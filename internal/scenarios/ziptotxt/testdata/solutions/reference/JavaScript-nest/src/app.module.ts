import { Injectable, MiddlewareConsumer, Module, NestMiddleware, NestModule, PayloadTooLargeException } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { AppController } from './app.controller';
import { AppService, MAX_UPLOAD } from './app.service';

// UploadSizeGuard refuses a body whose declared length is above the limit before any of it is read.
@Injectable()
export class UploadSizeGuard implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction) {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_UPLOAD) {
      res.setHeader('Connection', 'close');
      throw new PayloadTooLargeException({ error: 'the upload is too large' });
    }
    next();
  }
}

@Module({
  imports: [],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(UploadSizeGuard).forRoutes(AppController);
  }
}
