import { NestFactory } from '@nestjs/core';
import { raw } from 'express';
import { AppModule } from './app.module';

async function bootstrap() {
  // The e-mail arrives as the raw request body, whatever Content-Type the client sends (often none):
  // take every body as bytes and let the service decide how to read it.
  const app = await NestFactory.create(AppModule, { bodyParser: false });
  app.use(raw({ type: () => true, limit: '1mb' }));
  await app.listen(5000, '0.0.0.0');
}
bootstrap();
