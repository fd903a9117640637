import { Module } from '@nestjs/common';
import { AppController, BearerGuard } from './app.controller';
import { AppService } from './app.service';

@Module({
  imports: [],
  controllers: [AppController],
  providers: [AppService, BearerGuard],
})
export class AppModule {}
