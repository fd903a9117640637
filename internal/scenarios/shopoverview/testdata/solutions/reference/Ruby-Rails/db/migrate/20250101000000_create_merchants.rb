class CreateMerchants < ActiveRecord::Migration[7.2]
  def change
    create_table :merchants do |t|
      t.string :email, null: false
      t.string :name, null: false
      t.string :password_digest, null: false
      t.timestamps
    end
    add_index :merchants, :email, unique: true

    create_table :wares do |t|
      t.references :merchant, null: false, foreign_key: true
      t.string :name, null: false
      t.text :description, null: false
      t.float :price, null: false
      t.timestamps
    end

    create_table :merchant_sessions do |t|
      t.references :merchant, null: false, foreign_key: true
      t.string :token_digest, null: false
      t.datetime :expires_at, null: false
      t.timestamps
    end
    add_index :merchant_sessions, :token_digest, unique: true
  end
end
