import { Module } from '@nestjs/common';
import { AppController, CookieGuard } from './app.controller';
import { AppService } from './app.service';

@Module({
  imports: [],
  controllers: [AppController],
  providers: [AppService, CookieGuard],
})
export class AppModule {}
